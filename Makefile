# renke — see README.md. `make run` and `make test` are the two commands a fresh machine needs.
GO       ?= go
DATA     ?= ./data
ADDR     ?= 127.0.0.1:8080
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X renke/config.Version=$(VERSION)
BIN      := bin/renke

.PHONY: build run test bench lint fuzz clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/renke

## run: the server on the embedded default, with a demo county the first time.
run: build
	@if $(BIN) help 2>&1 | grep -q ' demo '; then \
		test -f $(DATA)/.demo-done || (RENKE_ADDR=$(ADDR) $(BIN) demo --data $(DATA) && touch $(DATA)/.demo-done); fi
	$(BIN) serve --data $(DATA) --addr $(ADDR)

## test: vet and the whole test suite under the race detector.
test: lint
	$(GO) test -race -count=1 -timeout 20m ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
