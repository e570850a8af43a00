//go:build peat_testhooks

package main

// debugPanics adds the Go stack to recovered-panic messages in test builds.
const debugPanics = true

// testHook lets the C tests prove that a panic inside the library becomes
// PEAT_E_INTERNAL instead of a crash: in the test-hooks build (and only
// there) the type name "peat.test.Panic" panics.
func testHook(typeName string) {
	if typeName == "peat.test.Panic" {
		panic("injected by the peat_testhooks build")
	}
}
