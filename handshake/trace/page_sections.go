package trace

import "github.com/glasstls/glasstls/handshake"

// sectionFor says where the RFCs define a field, from the field itself or
// the nearest enclosing structure the tables below know: the record
// header and protection framing, an extension, a handshake message;
// otherwise fallback (the section of the record's content type).
func sectionFor(path []handshake.Field, fallback string) string {
	for i := len(path) - 1; i >= 0; i-- {
		f := path[i]
		if s := fieldSection(f.Name); s != "" {
			return s
		}
		if f.Name == "Extension" {
			if e, ok := f.Value.(handshake.Enum); ok {
				if isGREASE(e.Hex) {
					return "RFC 8701, 2"
				}
				if s := extensionSection(e.Name); s != "" {
					return s
				}
			}
			return "RFC 5246, 7.4.1.4"
		}
		if s := messageSection(f.Name); s != "" {
			return s
		}
	}
	return fallback
}

// contentSection is where a record's content type is defined.
func contentSection(contentType string) string {
	switch contentType {
	case "change_cipher_spec":
		return "RFC 5246, 7.1"
	case "alert":
		return "RFC 5246, 7.2"
	case "handshake":
		return "RFC 5246, 7.4"
	case "application_data":
		return "RFC 5246, 10"
	}
	return "RFC 5246, 6.2"
}

// fieldSection knows the fields that are the same wherever they appear.
func fieldSection(name string) string {
	switch name {
	case "TLSPlaintext header":
		return "RFC 5246, 6.2.1"
	case "TLSCiphertext header":
		return "RFC 5246, 6.2.3"
	case "nonce_explicit":
		return "RFC 5288, 3"
	case "authentication tag":
		return "RFC 5246, 6.2.3.3"
	case "IV":
		return "RFC 5246, 6.2.3.2"
	case "encrypted content, MAC'd":
		return "RFC 7366, 3"
	case "padding", "padding_length":
		return "RFC 5246, 6.2.3.2"
	case "Alert":
		return "RFC 5246, 7.2"
	case "application_data":
		return "RFC 5246, 6.2.3 (TLSPlaintext.fragment)"
	case "seq_num":
		return "RFC 5246, 6.1"
	case "additional_data":
		return "RFC 5246, 6.2.3.3"
	case "MAC input header":
		return "RFC 5246, 6.2.3.1; RFC 7366, 3"
	case "MAC":
		return "RFC 5246, 6.2.3.1"
	case "nonce", "salt":
		return "RFC 5288, 3; RFC 7905, 2"
	case "GenericBlockCipher, decrypted":
		return "RFC 5246, 6.2.3.2"
	}
	return ""
}

// messageSection is where each handshake message is defined.
func messageSection(name string) string {
	switch name {
	case "ClientHello":
		return "RFC 5246, 7.4.1.2"
	case "ServerHello":
		return "RFC 5246, 7.4.1.3"
	case "Certificate":
		return "RFC 5246, 7.4.2"
	case "ServerKeyExchange":
		return "RFC 5246, 7.4.3; RFC 8422, 5.4"
	case "CertificateRequest":
		return "RFC 5246, 7.4.4"
	case "ServerHelloDone":
		return "RFC 5246, 7.4.5"
	case "ClientKeyExchange":
		return "RFC 5246, 7.4.7; RFC 8422, 5.7"
	case "CertificateVerify":
		return "RFC 5246, 7.4.8"
	case "Finished":
		return "RFC 5246, 7.4.9"
	case "NewSessionTicket":
		return "RFC 5077, 3.3"
	case "CertificateStatus":
		return "RFC 6066, 8"
	case "HelloRequest":
		return "RFC 5246, 7.4.1.1"
	}
	return ""
}

// extensionSection is where each hello extension is defined.
func extensionSection(name string) string {
	switch name {
	case "server_name":
		return "RFC 6066, 3"
	case "status_request":
		return "RFC 6066, 8"
	case "supported_groups":
		return "RFC 8422, 5.1.1"
	case "ec_point_formats":
		return "RFC 8422, 5.1.2"
	case "signature_algorithms":
		return "RFC 5246, 7.4.1.4.1"
	case "application_layer_protocol_negotiation":
		return "RFC 7301, 3.1"
	case "encrypt_then_mac":
		return "RFC 7366, 2"
	case "extended_master_secret":
		return "RFC 7627, 5.1"
	case "session_ticket":
		return "RFC 5077, 3.2"
	case "supported_versions":
		return "RFC 8446, 4.2.1 (a TLS 1.3 extension)"
	case "renegotiation_info":
		return "RFC 5746, 3.2"
	}
	return ""
}

// otherName names values glasstls does not implement but browsers send
// (TLS 1.3 extensions, post-quantum groups), from the IANA registries, so
// that a browser's ClientHello reads as more than "unknown". field is the
// field the value sits in; an empty string means no name is known.
func otherName(field, hex string) string {
	switch field {
	case "extension_type", "Extension":
		switch hex {
		case "0x0001":
			return "max_fragment_length"
		case "0x0012":
			return "signed_certificate_timestamp"
		case "0x0015":
			return "padding"
		case "0x001B":
			return "compress_certificate"
		case "0x001C":
			return "record_size_limit"
		case "0x0022":
			return "delegated_credential"
		case "0x0029":
			return "pre_shared_key"
		case "0x002A":
			return "early_data"
		case "0x002C":
			return "cookie"
		case "0x002D":
			return "psk_key_exchange_modes"
		case "0x0031":
			return "post_handshake_auth"
		case "0x0032":
			return "signature_algorithms_cert"
		case "0x0033":
			return "key_share"
		case "0x4469", "0x44CD":
			return "application_settings (ALPS, draft)"
		case "0xFE0D":
			return "encrypted_client_hello"
		}
	case "NamedGroup":
		switch hex {
		case "0x0019":
			return "secp521r1"
		case "0x001E":
			return "x448"
		case "0x11EC":
			return "X25519MLKEM768"
		case "0x6399":
			return "X25519Kyber768Draft00"
		}
	}
	return ""
}
