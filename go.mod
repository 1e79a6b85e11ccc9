module github.com/probedrill/probedrill

go 1.26
