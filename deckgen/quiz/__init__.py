"""The shell quiz: grader (typed answer vs reference), scheduler, progress store, session."""
