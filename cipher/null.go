package cipher

// NullProtection is TLS_NULL_WITH_NULL_NULL: the state before the first ChangeCipherSpec
// (RFC 5246, 6.1: the initial connection state uses no encryption,
// compression or MAC). Seal and Open copy the fragment unchanged.
func NullProtection() Protection { return nullProtection{} }

type nullProtection struct{}

// Seal appends the plaintext as it is.
func (nullProtection) Seal(dst []byte, _ uint64, _ uint8, _ uint16, plaintext []byte) ([]byte, error) {
	return append(dst, plaintext...), nil
}

// Open appends the fragment as it is; there is nothing to check.
func (nullProtection) Open(dst []byte, _ uint64, _ uint8, _ uint16, fragment []byte) ([]byte, error) {
	return append(dst, fragment...), nil
}

// MaxOverhead is zero: nothing is added.
func (nullProtection) MaxOverhead() int { return 0 }
