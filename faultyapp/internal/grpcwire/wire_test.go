package grpcwire

import (
	"bytes"
	"testing"
)

func TestCheckResponseBytes(t *testing.T) {
	cases := []struct {
		status int
		want   []byte
	}{
		{Serving, []byte{0x08, 0x01}},
		{NotServing, []byte{0x08, 0x02}},
		{Unknown, nil},
	}
	for _, tc := range cases {
		got := EncodeCheckResponse(tc.status)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("EncodeCheckResponse(%d) = % x, want % x", tc.status, got, tc.want)
		}
		back, err := DecodeCheckResponse(got)
		if err != nil || back != tc.status {
			t.Errorf("DecodeCheckResponse(% x) = %d, %v", got, back, err)
		}
	}
}

func TestCheckRequestRoundTrip(t *testing.T) {
	for _, svc := range []string{"", "liveness", string(make([]byte, 300))} {
		got, err := DecodeCheckRequest(EncodeCheckRequest(svc))
		if err != nil || got != svc {
			t.Errorf("round trip of %d-byte name: %q, %v", len(svc), got, err)
		}
	}
}

func TestDecodeSkipsUnknownFields(t *testing.T) {
	// field 2 varint 150, field 3 fixed32, field 4 fixed64, then service "x".
	msg := []byte{0x10, 0x96, 0x01, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x0a, 0x01, 'x'}
	got, err := DecodeCheckRequest(msg)
	if err != nil || got != "x" {
		t.Errorf("got %q, %v; want x", got, err)
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for _, msg := range [][]byte{{0x0a, 0x05, 'x'}, {0x80}, {0x0b}, {0x1d, 1}} {
		if _, err := DecodeCheckRequest(msg); err == nil {
			t.Errorf("% x decoded without error", msg)
		}
	}
}

func TestFraming(t *testing.T) {
	framed := AppendMessage(nil, []byte{0x08, 0x01})
	if want := []byte{0, 0, 0, 0, 2, 0x08, 0x01}; !bytes.Equal(framed, want) {
		t.Fatalf("framed = % x, want % x", framed, want)
	}
	msg, err := ReadMessage(bytes.NewReader(framed))
	if err != nil || !bytes.Equal(msg, []byte{0x08, 0x01}) {
		t.Errorf("ReadMessage = % x, %v", msg, err)
	}
	bad := [][]byte{
		{1, 0, 0, 0, 0},       // compressed
		{0, 0, 1, 0, 0},       // 64 KiB: over the limit
		{0, 0, 0, 0, 9, 1, 2}, // truncated
		{0, 0},                // short prefix
	}
	for _, b := range bad {
		if _, err := ReadMessage(bytes.NewReader(b)); err == nil {
			t.Errorf("ReadMessage(% x) succeeded", b)
		}
	}
}

func TestStatusName(t *testing.T) {
	if StatusName(NotServing) != "NOT_SERVING" || StatusName(Serving) != "SERVING" || StatusName(9) != "STATUS_9" {
		t.Error("StatusName")
	}
}
