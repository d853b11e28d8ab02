// Package sign computes and verifies the request sign of the Lingxing open API:
// base64(AES-128-ECB-PKCS7(key = appId, UPPER(hex(MD5(canonical))))), where canonical is
// every business field plus access_token, app_key and timestamp, sorted by key, as k=v joined
// by "&".
package sign

import (
	"bytes"
	"crypto/aes"
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strings"
)

// Params are the signed fields with their values as text: strings unquoted, numbers as their
// JSON text, null as "null", arrays and objects as compact JSON.
type Params map[string]string

// Canonical builds the string to sign. With skipEmpty, empty values are left out, as the
// official document says; some official SDKs include them as "k=".
func Canonical(p Params, skipEmpty bool) string {
	keys := make([]string, 0, len(p))
	for k, v := range p {
		if skipEmpty && v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(p[k])
	}
	return b.String()
}

// Digest is the upper-case hex MD5 of the canonical string.
func Digest(canonical string) string {
	sum := md5.Sum([]byte(canonical))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// Sign returns the sign of the canonical string for an app.
func Sign(appID, canonical string) (string, error) {
	block, err := aes.NewCipher([]byte(appID))
	if err != nil {
		return "", errors.New("appId must be 16, 24 or 32 bytes")
	}
	plain := []byte(Digest(canonical))
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)
	out := make([]byte, len(plain))
	for i := 0; i < len(plain); i += aes.BlockSize {
		block.Encrypt(out[i:i+aes.BlockSize], plain[i:i+aes.BlockSize])
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// decrypt recovers the digest a client signed.
func decrypt(appID, sig string) ([]byte, bool) {
	block, err := aes.NewCipher([]byte(appID))
	if err != nil {
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, false
	}
	out := make([]byte, len(raw))
	for i := 0; i < len(raw); i += aes.BlockSize {
		block.Decrypt(out[i:i+aes.BlockSize], raw[i:i+aes.BlockSize])
	}
	pad := int(out[len(out)-1])
	if pad < 1 || pad > aes.BlockSize || pad > len(out) {
		return nil, false
	}
	for _, c := range out[len(out)-pad:] {
		if int(c) != pad {
			return nil, false
		}
	}
	return bytes.ToUpper(out[:len(out)-pad]), true
}

// NormalizeSign undoes the encodings clients apply to the sign on top of the query string's
// own: a second URL encoding (%252F) and '+' read as a space.
func NormalizeSign(s string) string {
	if strings.Contains(s, "%") {
		if u, err := url.QueryUnescape(s); err == nil {
			s = u
		}
	}
	return strings.ReplaceAll(s, " ", "+")
}

// Verify reports whether sig signs the params for the app, accepting the empty-skipped and
// the empty-included canonical forms. Decrypting the sign and comparing digests (in constant
// time) accepts both forms for the cost of one decryption.
func Verify(appID, sig string, p Params) bool {
	got, ok := decrypt(appID, NormalizeSign(sig))
	return ok && matches(got, p)
}

func matches(got []byte, p Params) bool {
	a := []byte(Digest(Canonical(p, true)))
	b := []byte(Digest(Canonical(p, false)))
	return subtle.ConstantTimeCompare(got, a)|subtle.ConstantTimeCompare(got, b) == 1
}

// VerifyRequest verifies the sign of a request from its query and JSON body, accepting every
// rendering of Variants. An error means the body is not a JSON object.
func VerifyRequest(appID, sig string, query url.Values, body []byte) (bool, error) {
	vs, err := Variants(query, body)
	if err != nil {
		return false, err
	}
	got, ok := decrypt(appID, NormalizeSign(sig))
	if !ok {
		return false, nil
	}
	for _, p := range vs {
		if matches(got, p) {
			return true, nil
		}
	}
	return false, nil
}
