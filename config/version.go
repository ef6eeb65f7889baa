package config

// Version is the software version, set at build time with
// -ldflags "-X renke/config.Version=...".
var Version = "0.1.0-dev"
