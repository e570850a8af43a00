package validate

// Code is the stable upper-case name of a broken rule. Codes are part of the
// public contract (docs/VALIDATION.md): never renamed, never reused.
type Code string

// Codes of ICD §6.2.
const (
	CellFull          Code = "CELL_FULL"          // more members than config.max_size
	CellInvalid       Code = "CELL_INVALID"       // fewer members than config.min_size; inconsistent cell
	InvalidLeader     Code = "INVALID_LEADER"     // leader_id not among members
	InvalidConfidence Code = "INVALID_CONFIDENCE" // a confidence outside [0, 1]
	InvalidPosition   Code = "INVALID_POSITION"   // latitude outside [-90, 90] or longitude outside [-180, 180]
)

// Codes of ICD §3.3, §6.1 and §9.1.
const (
	RequiredField   Code = "REQUIRED_FIELD"    // identifying string empty, required sub-message absent
	InvalidEnum     Code = "INVALID_ENUM"      // enum number not a member, or UNSPECIFIED where a value is required
	InvalidTime     Code = "INVALID_TIMESTAMP" // nanos out of range, too far in the future, or out of order
	InvalidNumber   Code = "INVALID_NUMBER"    // NaN/Inf, or a number outside its documented range
	InvalidRange    Code = "INVALID_RANGE"     // a minimum greater than its maximum
	ZoneFull        Code = "ZONE_FULL"         // more cells than config.max_cells
	ZoneInvalid     Code = "ZONE_INVALID"      // fewer cells than config.min_cells; inconsistent zone
	DuplicateID     Code = "DUPLICATE_ID"      // the same id twice where ids must be unique
	StringTooLong   Code = "STRING_TOO_LONG"   // a string over the limit of its kind
	InvalidString   Code = "INVALID_STRING"    // invalid UTF-8, control characters, malformed JSON text
	InvalidUUID     Code = "INVALID_UUID"      // a cap.common.v1.Uuid that is not an RFC 4122 version 4 UUID
	TooManyItems    Code = "TOO_MANY_ITEMS"    // a repeated field or map over its item limit
	MessageTooLarge Code = "MESSAGE_TOO_LARGE" // encoded size over the type's limit (ICD §3.3)
)

// Codes of ICD §9.2 for node paths (fields of kind KindPath; paths.go).
const (
	InvalidPath    Code = "INVALID_PATH"     // not an absolute path in normal form: "..", ".", "//", backslash, control character
	PathNotAllowed Code = "PATH_NOT_ALLOWED" // a well-formed path outside ValidateOptions.allowed_path_roots
)

// PathCodes returns the codes of the path rules, sorted. No ICD type has a
// path field, so they are not among Codes (whose cases are ICD messages):
// the directive schema's config_package.target_path is the only field of
// kind KindPath, and its cases are directive vectors.
func PathCodes() []Code { return []Code{InvalidPath, PathNotAllowed} }

// Codes returns every violation code the validator can report on ICD
// messages, sorted (PathCodes and the directive's INVALID_HASH come on top).
func Codes() []Code {
	return []Code{CellFull, CellInvalid, DuplicateID, InvalidConfidence, InvalidEnum, InvalidLeader,
		InvalidNumber, InvalidPosition, InvalidRange, InvalidString, InvalidTime, InvalidUUID,
		MessageTooLarge, RequiredField, StringTooLong, TooManyItems, ZoneFull, ZoneInvalid}
}
