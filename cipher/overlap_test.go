package cipher

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInexactOverlap(t *testing.T) {
	buf := make([]byte, 100)
	other := make([]byte, 10)
	for _, tt := range []struct {
		name string
		x, y []byte
		want bool
	}{
		{"apart", buf[:10], other, false},
		{"same start", buf[:10], buf[:20], false},
		{"y inside x", buf[:50], buf[10:20], true},
		{"x inside y", buf[10:20], buf[:50], true},
		{"last byte shared", buf[:10], buf[9:20], true},
		{"adjacent", buf[:10], buf[10:20], false},
		{"empty", buf[:0], buf[:10], false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, inexactOverlap(tt.x, tt.y))
			assert.Equal(t, tt.want, inexactOverlap(tt.y, tt.x), "symmetric")
		})
	}
}
