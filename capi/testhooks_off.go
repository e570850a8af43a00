//go:build !peat_testhooks

package main

const debugPanics = false

// testHook does nothing in release builds.
func testHook(string) {}
