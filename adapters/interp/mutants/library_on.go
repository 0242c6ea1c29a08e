//go:build aiterspec_mutants

package mutants

import "github.com/aiterspec/aiterspec/reference"

func init() { switchLibrary = reference.SetMutation }
