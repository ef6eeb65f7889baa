package casework

import (
	"errors"
	"fmt"
	"time"

	"renke/survey"
)

// Kind is what went wrong, as every door reports it (api maps it to an HTTP
// status in one table; the command line prints the message).
type Kind string

// Kinds of refusal.
const (
	NotFound    Kind = "not_found"
	Forbidden   Kind = "forbidden"
	Conflict    Kind = "conflict"
	Invalid     Kind = "invalid"
	Unavailable Kind = "unavailable"
	Internal    Kind = "internal"
	// Unauthorized is a login refused (a wrong password or authenticator code).
	Unauthorized Kind = "unauthorized"
	// TooMany is an attempt refused for coming too often; Error.RetryAfter says for how long.
	TooMany Kind = "too_many"
)

// Error is a refusal or failure of a use case: its kind and the Chinese
// message a user sees. Err, when set, is the cause (for logs and errors.Is).
type Error struct {
	Kind Kind
	Msg  string
	Err  error
	// Confirm marks a refusal the caller may overcome by confirming (a
	// redraw that voids codes): the message says what would happen.
	Confirm bool
	// RetryAfter is how long to wait before trying again (TooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Msg, e.Err)
	}
	return string(e.Kind) + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an Error of kind k with a formatted Chinese message.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Wrap makes an Error of kind k whose message is err's own (a domain
// validation message, already in Chinese).
func Wrap(k Kind, err error) *Error { return &Error{Kind: k, Msg: err.Error(), Err: err} }

// Messages every door shows for the store's typed errors.
const (
	MsgUnavailable = "数据库或缓存暂时不可用，请稍后重试"
	MsgNotFound    = "未找到，或已被他人修改，请刷新后重试"
	MsgDuplicate   = "已存在同名或同代码的记录"
	MsgInternal    = "服务器内部错误，请稍后重试"
)

// From turns any error into an Error: an Error as it is, the store's typed
// errors to their kinds, anything else Internal (with the cause kept).
func From(err error) *Error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.Is(err, survey.ErrUnavailable):
		return &Error{Kind: Unavailable, Msg: MsgUnavailable, Err: err}
	case errors.Is(err, survey.ErrNotFound):
		return &Error{Kind: NotFound, Msg: MsgNotFound, Err: err}
	case errors.Is(err, survey.ErrDuplicate):
		return &Error{Kind: Conflict, Msg: MsgDuplicate, Err: err}
	}
	return &Error{Kind: Internal, Msg: MsgInternal, Err: err}
}
