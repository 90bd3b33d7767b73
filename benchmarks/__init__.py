"""Benchmark suite of formmerge: synthetic form sets, accuracy, speed, memory and peers."""
