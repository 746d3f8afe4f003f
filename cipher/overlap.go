package cipher

import "unsafe"

// inexactOverlap reports whether x and y share memory without starting at
// the same byte. crypto/cipher's AEADs allow their output to be exactly
// their input (sealing in place) or apart from it, but nothing in between;
// this is crypto/internal/alias.InexactOverlap, which is not importable.
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	return uintptr(unsafe.Pointer(&x[0])) <= uintptr(unsafe.Pointer(&y[len(y)-1])) &&
		uintptr(unsafe.Pointer(&y[0])) <= uintptr(unsafe.Pointer(&x[len(x)-1]))
}

// inPlace reports whether dst is fragment[:0]: the caller asks Open to
// decrypt inside fragment.
func inPlace(dst, fragment []byte) bool {
	return len(dst) == 0 && cap(dst) > 0 && len(fragment) > 0 && &dst[:1][0] == &fragment[0]
}
