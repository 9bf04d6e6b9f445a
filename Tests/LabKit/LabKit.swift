// Lab servers for tests.
