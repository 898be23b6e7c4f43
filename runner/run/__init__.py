"""What a command does with programs: a lesson's run, an exercise's check, the static rules, the bench.
Uses the model and the sandboxes."""
