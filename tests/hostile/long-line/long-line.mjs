// One line of 10 MB that never ends with a newline.
process.stdout.write("[0.0s] one endless line: " + "y".repeat(10_000_000));
