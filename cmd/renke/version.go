package main

import (
	"context"
	"fmt"

	"renke/config"
)

func init() {
	register("version", "print the version", func(ctx context.Context, args []string) error {
		fmt.Println("renke", config.Version)
		return nil
	})
}
