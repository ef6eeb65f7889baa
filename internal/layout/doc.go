// Package layout holds no code: its test enforces the project's import
// boundaries (which package may know Mongo, Redis and Gin, and which of the
// HTTP adapter's audience packages may use which).
package layout
