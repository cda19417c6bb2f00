package connector

import (
	"encoding/base64"
	"errors"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Redacted replaces secrets in redacted text.
const Redacted = "[REDACTED]"

// base64Run matches text that may be base64 (standard or URL alphabet) long
// enough to hide a secret, such as the value of a Basic Authorization header.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}={0,2}`)

// Redact replaces every non-empty secret in s with "[REDACTED]", together
// with the forms a secret takes on the wire: base64 (a Basic Authorization
// header is base64("email:token"), so any base64 run whose decoding contains
// a secret is replaced whole) and URL escaping.
func Redact(s string, secrets []string) string {
	var forms []string
	var raw []string
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		raw = append(raw, sec)
		forms = append(forms, sec,
			url.QueryEscape(sec), url.PathEscape(sec),
			base64.StdEncoding.EncodeToString([]byte(sec)),
			base64.RawStdEncoding.EncodeToString([]byte(sec)),
			base64.URLEncoding.EncodeToString([]byte(sec)),
			base64.RawURLEncoding.EncodeToString([]byte(sec)))
	}
	if len(raw) == 0 {
		return s
	}
	// Longest first, so a form is not half-replaced by a shorter one.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	for _, f := range forms {
		s = strings.ReplaceAll(s, f, Redacted)
	}
	// A run shorter than the base64 form of the shortest secret cannot
	// hold one; skipping those keeps redaction of long bodies cheap.
	shortest := len(raw[0])
	for _, sec := range raw {
		shortest = min(shortest, len(sec))
	}
	minRun := shortest * 4 / 3
	return base64Run.ReplaceAllStringFunc(s, func(run string) string {
		if len(run) >= minRun && decodedContains(run, raw) {
			return Redacted
		}
		return run
	})
}

// decodedContains reports whether run, decoded as base64 in any alphabet,
// contains one of secrets.
func decodedContains(run string, secrets []string) bool {
	trimmed := strings.TrimRight(run, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(trimmed)
		if err != nil {
			continue
		}
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				return true
			}
		}
	}
	return false
}

// RedactError returns err with its message redacted of secrets; errors.Is
// and errors.As still see the errors it wraps. It returns nil for nil.
func RedactError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: Redact(ErrorText(err), secrets), err: err}
}

// ErrorText is err's message without the *url.Error layer http.Client
// wraps around a transport error: the transport's own message already names
// the method and path, and the URL the wrapper repeats (with its whole query)
// only buries the cause.
func ErrorText(err error) string {
	msg := err.Error()
	var ue *url.Error
	var inner *redactedError
	if errors.As(err, &ue) && errors.As(ue.Err, &inner) {
		msg = strings.Replace(msg, ue.Error(), ue.Err.Error(), 1)
	}
	return msg
}

// redactedError shows a redacted message and unwraps to the original error.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Timeout reports whether the wrapped error is a timeout, so that
// net/url.Error.Timeout sees through the redaction.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}
