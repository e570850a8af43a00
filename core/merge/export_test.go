package merge

// NodeConfigFields exposes the field list of withoutCapabilities to tests.
var NodeConfigFields = nodeConfigFields

// EqualFields and BitEqual expose the tie-break's equality to tests.
var (
	EqualFields = equalFields
	BitEqual    = bitEqual
)
