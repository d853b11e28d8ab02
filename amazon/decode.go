// Package amazon reads the flat-file reports Amazon Seller Central and the SP-API deliver
// (orders, shipments, returns, settlements, feedback) one row at a time, so a 1 GB file
// never has to fit in memory.
package amazon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

const (
	bufSize = 256 << 10
	// maxLine bounds the memory one line may take: no real report row comes near it, and a
	// binary file without newlines must not be read whole.
	maxLine = 16 << 20
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	utf8BOM   = []byte{0xef, 0xbb, 0xbf}
)

// cp1252 maps every byte to its Windows-1252 rune; built once so the per-line fallback
// is a table lookup rather than a transformer with its own buffers.
var cp1252 = func() (t [256]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
	return t
}()

// Japanese marks a report from Amazon.co.jp for the readers and Decode: its lines that are
// not valid UTF-8 are Shift_JIS (Windows-31J, as Seller Central writes Japanese files), not
// Windows-1252. Pass the wrapped reader to any New…Reader.
func Japanese(r io.Reader) io.Reader { return japaneseInput{r} }

type japaneseInput struct{ io.Reader }

// Decode returns the text of a report as UTF-8: gzip input is gunzipped, a UTF-8 BOM is
// dropped, and each line that is not valid UTF-8 is taken as Windows-1252 (Amazon's EU and
// US files come in either, sometimes mixed), or as Shift_JIS for input wrapped in Japanese.
// It streams; only one line is held at a time.
func Decode(r io.Reader) (io.Reader, error) {
	lr, err := newLineReader(r)
	if err != nil {
		return nil, err
	}
	return &decoder{lr: lr}, nil
}

type decoder struct {
	lr   *lineReader
	rest []byte
}

func (d *decoder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(d.rest) == 0 {
		line, err := d.lr.readLine()
		if err != nil {
			return 0, err
		}
		d.rest = line
	}
	n := copy(p, d.rest)
	d.rest = d.rest[n:]
	return n, nil
}

// countingReader counts the bytes taken from the caller's reader, which is the only
// meaningful progress figure for compressed input.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// lineReader yields physical lines decoded to UTF-8, terminator included. The slice it
// returns is valid until the next call.
type lineReader struct {
	br      *bufio.Reader
	gz      *countingReader   // set when the input is gzipped
	plain   int64             // raw bytes of the lines returned so far (plain input)
	line    int               // 1-based number of the last line returned
	started bool              // BOM handled
	long    []byte            // assembles lines longer than the bufio buffer
	conv    []byte            // Windows-1252 → UTF-8 output
	sjis    *encoding.Decoder // set for Japanese input: the fallback for non-UTF-8 lines
	err     error             // sticky: io.EOF or a read error
}

func newLineReader(r io.Reader) (*lineReader, error) {
	var sjis *encoding.Decoder
	if j, ok := r.(japaneseInput); ok {
		r, sjis = j.Reader, japanese.ShiftJIS.NewDecoder()
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, bufSize)
	magic, err := br.Peek(len(gzipMagic))
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("amazon: %w", err)
	}
	if !bytes.Equal(magic, gzipMagic) {
		return &lineReader{br: br, sjis: sjis}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("amazon: gzip: %w", err)
	}
	return &lineReader{br: bufio.NewReaderSize(zr, bufSize), gz: cr, sjis: sjis}, nil
}

// offset is the position in the caller's input: exact line ends for plain input, compressed
// bytes read (running ahead by up to one buffer) for gzip input.
func (l *lineReader) offset() int64 {
	if l.gz != nil {
		return l.gz.n
	}
	return l.plain
}

func (l *lineReader) readLine() ([]byte, error) {
	if l.err != nil {
		return nil, l.err
	}
	line, err := l.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		l.long = append(l.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = l.br.ReadSlice('\n')
			l.long = append(l.long, line...)
			if len(l.long) > maxLine {
				l.err = fmt.Errorf("amazon: line %d: longer than %d bytes", l.line+1, maxLine)
				return nil, l.err
			}
		}
		line = l.long
	}
	if err != nil {
		if err != io.EOF {
			err = fmt.Errorf("amazon: line %d: %w", l.line+1, err)
		}
		l.err = err
		if len(line) == 0 || err != io.EOF {
			return nil, err
		}
	}
	l.line++
	l.plain += int64(len(line))
	if !l.started {
		l.started = true
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	if utf8.Valid(line) {
		return line, nil
	}
	if l.sjis != nil {
		// Bytes that are not Shift_JIS either become U+FFFD; the decoder never fails.
		conv, err := l.sjis.Bytes(line)
		if err == nil {
			return conv, nil
		}
	}
	l.conv = l.conv[:0]
	for _, b := range line {
		if b < utf8.RuneSelf {
			l.conv = append(l.conv, b)
		} else {
			l.conv = utf8.AppendRune(l.conv, cp1252[b])
		}
	}
	return l.conv, nil
}
