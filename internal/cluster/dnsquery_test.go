package cluster

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/dns/dnsmessage"
)

// serveDNS answers one TCP query with answer(question) and returns the address.
func serveDNS(t *testing.T, answer func(q dnsmessage.Message) dnsmessage.Message) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		var size [2]byte
		if _, err := io.ReadFull(conn, size[:]); err != nil {
			return
		}
		b := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(conn, b); err != nil {
			return
		}
		var q dnsmessage.Message
		if err := q.Unpack(b); err != nil {
			return
		}
		out, _ := packTCP(answer(q))
		_, _ = conn.Write(out)
	}()
	return l.Addr().String()
}

func reply(q dnsmessage.Message, rcode dnsmessage.RCode, ips ...[4]byte) dnsmessage.Message {
	m := dnsmessage.Message{Header: dnsmessage.Header{ID: q.ID, Response: true, RCode: rcode}, Questions: q.Questions}
	for _, ip := range ips {
		m.Answers = append(m.Answers, dnsmessage.Resource{
			Header: dnsmessage.ResourceHeader{Name: q.Questions[0].Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 5},
			Body:   &dnsmessage.AResource{A: ip},
		})
	}
	return m
}

func TestLookupA(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var asked dnsmessage.Question
	addr := serveDNS(t, func(q dnsmessage.Message) dnsmessage.Message {
		asked = q.Questions[0]
		return reply(q, dnsmessage.RCodeSuccess, [4]byte{10, 96, 0, 1})
	})
	got, err := lookupA(ctx, addr, dnsProbeName)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"10.96.0.1"}, got); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
	if asked.Name.String() != "kubernetes.default.svc.cluster.local." || asked.Type != dnsmessage.TypeA {
		t.Errorf("asked %v", asked)
	}
}

func TestLookupANameError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr := serveDNS(t, func(q dnsmessage.Message) dnsmessage.Message { return reply(q, dnsmessage.RCodeNameError) })
	if _, err := lookupA(ctx, addr, dnsProbeName); err == nil || !strings.Contains(err.Error(), "RCodeNameError") {
		t.Errorf("want a name error, got %v", err)
	}
}

func TestLookupAGivesUpAtTheDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := lookupA(ctx, l.Addr().String(), dnsProbeName); err == nil {
		t.Error("want a timeout")
	}
}
