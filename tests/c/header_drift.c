/* Compiles the hand-written peat.h together with the header cgo generated
 * while building libpeat.so. Any difference in a prototype (a parameter type,
 * a missing const, a return type) is a "conflicting types" error. */
#include "peat.h"
#include "capi.h"
#include "libpeat_cgo.h"

int main(void) { return 0; }
