package scenario

// ValidatedFields lists the JSON fields Validate reads on a Stmt or an
// Expr (by type name).
func ValidatedFields(typeName string) []string {
	var names []string
	switch typeName {
	case "Stmt":
		for _, x := range stmtSet {
			names = append(names, x.field)
		}
	case "Expr":
		for _, x := range exprSet {
			names = append(names, x.field)
		}
	}
	return names
}
