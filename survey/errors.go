package survey

import "errors"

// Errors the adapters return and the domain and handlers act on. Adapters wrap
// them with context; test them with errors.Is.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: a unique rule (one response per one-time code, per device) refused a write.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnavailable: a backing store cannot be reached; the caller may retry later.
	ErrUnavailable = errors.New("store unavailable")
	// ErrQuotaFull: the code's quota is already filled.
	ErrQuotaFull = errors.New("quota full")
)
