module github.com/probedrill/probedrill/images/nettest

go 1.26.0
