// SwiftPM links an executable's entry as `<module>_main` (`--defsym main=SOPFuzz_main`), so
// libFuzzer's own `main` is never pulled in: this entry hands the command line to libFuzzer's
// driver with the Swift harness, `LLVMFuzzerTestOneInput`.
#include <stddef.h>
#include <stdint.h>
#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int SOPFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
