"""Getting a machine and a learner ready: the images, the offline ones, the doctor, a new lesson, the
learner's workspace. Uses the model and the sandboxes."""
