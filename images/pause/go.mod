module github.com/probedrill/probedrill/images/pause

go 1.26.0
