// The fuzzer's entry point (see driver.c).
int SOPFuzz_main(int argc, char **argv);
