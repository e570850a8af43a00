package core

// SetBatchOutputLimit lowers the output ceiling of the batch calls for a
// test (so that it need not build 64 MiB); call the result to restore it.
func SetBatchOutputLimit(n int) (restore func()) {
	old := batchOutputLimit
	batchOutputLimit = n
	return func() { batchOutputLimit = old }
}
