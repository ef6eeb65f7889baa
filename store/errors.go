package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"renke/survey"
)

// ErrUnavailable means the store could not be reached (network, timeout,
// server selection). It wraps survey.ErrUnavailable, so callers that only ask
// "is a backend away?" still match, while errors.Is(err, store.ErrUnavailable)
// tells the store's outage from Redis's (kv.ErrUnavailable) without a ping.
var ErrUnavailable error = unavailableError{}

// unavailableError is ErrUnavailable: it matches survey.ErrUnavailable too.
type unavailableError struct{}

func (unavailableError) Error() string { return "store unavailable" }

func (unavailableError) Is(target error) bool { return target == survey.ErrUnavailable }

// classify maps driver errors to the domain's typed errors, keeping the cause.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("%w: %v", survey.ErrNotFound, err)
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: %v", survey.ErrDuplicate, err)
	case errors.Is(err, context.Canceled):
		return err
	case isUnavailable(err):
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return err
}

// isUnavailable tells a store that cannot be reached from one that refused the request.
func isUnavailable(err error) bool {
	var ne net.Error
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.As(err, &ne) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mongo.ErrClientDisconnected) {
		return true
	}
	var le mongo.LabeledError
	if errors.As(err, &le) && (le.HasErrorLabel("NetworkError") || le.HasErrorLabel("RetryableWriteError")) {
		return true
	}
	// Server selection failures carry no exported type in the driver.
	msg := err.Error()
	return strings.Contains(msg, "server selection error") || strings.Contains(msg, "connection refused")
}
