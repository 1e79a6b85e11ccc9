// Package grpcwire speaks just enough of gRPC and protobuf for the health
// protocol (grpc.health.v1.Health/Check), so faultyapp serves kubelet gRPC
// probes without the grpc module. gRPC over HTTP/2 frames each message with a
// 5-byte prefix (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md);
// the health messages are in grpc/health/v1/health.proto.
package grpcwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// CheckPath is the HTTP/2 path of the Check method.
const CheckPath = "/grpc.health.v1.Health/Check"

// ServingStatus values of HealthCheckResponse.status (field 1, an enum).
const (
	Unknown    = 0
	Serving    = 1
	NotServing = 2
)

// StatusName is the proto name of a ServingStatus, for logs.
func StatusName(s int) string {
	switch s {
	case Serving:
		return "SERVING"
	case NotServing:
		return "NOT_SERVING"
	case Unknown:
		return "UNKNOWN"
	}
	return fmt.Sprintf("STATUS_%d", s)
}

// gRPC status codes (grpc-status trailer) that faultyapp sends.
const (
	CodeOK              = 0
	CodeInvalidArgument = 3
	CodeUnimplemented   = 12
	CodeUnauthenticated = 16
)

// maxMessage bounds a request: a HealthCheckRequest is a service name.
const maxMessage = 4 << 10

// ReadMessage reads one length-prefixed message. Compressed messages are
// refused: faultyapp never advertises a compressor, so no client may send one.
func ReadMessage(r io.Reader) ([]byte, error) {
	var prefix [5]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, fmt.Errorf("reading the message prefix: %w", err)
	}
	if prefix[0] != 0 {
		return nil, errors.New("compressed messages are not supported")
	}
	n := binary.BigEndian.Uint32(prefix[1:])
	if n > maxMessage {
		return nil, fmt.Errorf("message of %d bytes is over %d", n, maxMessage)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, fmt.Errorf("reading the message: %w", err)
	}
	return msg, nil
}

// AppendMessage appends msg with its uncompressed 5-byte prefix.
func AppendMessage(b, msg []byte) []byte {
	b = append(b, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
	return append(b, msg...)
}

// EncodeCheckRequest encodes HealthCheckRequest{service} (field 1, string).
func EncodeCheckRequest(service string) []byte {
	if service == "" {
		return nil // proto3 leaves default values out
	}
	b := []byte{1<<3 | 2}
	b = binary.AppendUvarint(b, uint64(len(service)))
	return append(b, service...)
}

// DecodeCheckRequest returns the service name of a HealthCheckRequest,
// skipping fields it does not know, as protobuf readers must.
func DecodeCheckRequest(msg []byte) (string, error) {
	var service string
	err := eachField(msg, func(num int, val []byte, _ uint64) {
		if num == 1 {
			service = string(val)
		}
	})
	return service, err
}

// EncodeCheckResponse encodes HealthCheckResponse{status} (field 1, varint):
// SERVING is the two bytes 0x08 0x01.
func EncodeCheckResponse(status int) []byte {
	if status == 0 {
		return nil
	}
	return binary.AppendUvarint([]byte{1 << 3}, uint64(status))
}

// DecodeCheckResponse returns the status of a HealthCheckResponse.
func DecodeCheckResponse(msg []byte) (int, error) {
	status := Unknown
	err := eachField(msg, func(num int, _ []byte, v uint64) {
		if num == 1 {
			status = int(v)
		}
	})
	return status, err
}

// eachField walks a protobuf message: fn gets each field's number and its
// bytes (length-delimited) or value (varint); fixed-size fields are skipped.
func eachField(msg []byte, fn func(num int, val []byte, v uint64)) error {
	for len(msg) > 0 {
		key, n := binary.Uvarint(msg)
		if n <= 0 {
			return errors.New("bad protobuf field key")
		}
		msg = msg[n:]
		num, wire := int(key>>3), key&7
		switch wire {
		case 0: // varint
			v, n := binary.Uvarint(msg)
			if n <= 0 {
				return errors.New("bad protobuf varint")
			}
			fn(num, nil, v)
			msg = msg[n:]
		case 2: // length-delimited
			l, n := binary.Uvarint(msg)
			if n <= 0 || l > uint64(len(msg)-n) {
				return errors.New("bad protobuf length")
			}
			fn(num, msg[n:n+int(l)], 0)
			msg = msg[n+int(l):]
		case 1, 5: // fixed 64 / 32 bits
			size := 8
			if wire == 5 {
				size = 4
			}
			if len(msg) < size {
				return errors.New("short protobuf fixed field")
			}
			msg = msg[size:]
		default:
			return fmt.Errorf("unsupported protobuf wire type %d", wire)
		}
	}
	return nil
}
