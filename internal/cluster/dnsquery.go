package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"

	"golang.org/x/net/dns/dnsmessage"
)

// lookupA asks the DNS server at addr, over TCP (RFC 1035 4.2.2: each
// message prefixed by its 2-byte length), for the A records of name. It
// speaks DNS itself rather than through net.Resolver, whose answer would
// depend on this host's nsswitch.conf and resolv.conf.
func lookupA(ctx context.Context, addr, name string) ([]string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	query, err := aQuery(name)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write(query); err != nil {
		return nil, fmt.Errorf("sending the query: %w", err)
	}
	var size [2]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	answer := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(conn, answer); err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	return parseA(answer)
}

// queryID is fixed: one query per connection, so there is nothing to match.
const queryID = 0x5052 // "PR"

// aQuery is a length-prefixed DNS query for the A records of name.
func aQuery(name string) ([]byte, error) {
	n, err := dnsmessage.NewName(name)
	if err != nil {
		return nil, err
	}
	return packTCP(dnsmessage.Message{
		Header:    dnsmessage.Header{ID: queryID, RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: n, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}},
	})
}

// parseA returns the A records of a DNS response, or why there are none.
func parseA(b []byte) ([]string, error) {
	var msg dnsmessage.Message
	if err := msg.Unpack(b); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	if msg.ID != queryID || !msg.Response {
		return nil, fmt.Errorf("not an answer to our query")
	}
	if msg.RCode != dnsmessage.RCodeSuccess {
		return nil, fmt.Errorf("answer code %v", msg.RCode)
	}
	var addrs []string
	for _, rr := range msg.Answers {
		if a, ok := rr.Body.(*dnsmessage.AResource); ok {
			addrs = append(addrs, net.IP(a.A[:]).String())
		}
	}
	return addrs, nil
}

// packTCP packs msg with its 2-byte length in front.
func packTCP(msg dnsmessage.Message) ([]byte, error) {
	b, err := msg.AppendPack([]byte{0, 0})
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	return b, nil
}
