package scenario

// BoundNames adds to out the names a block binds in its own scope, as
// Python's compiler decides which names are local (or, for main, which go
// in its global line): let, del, def and class names, for and async-for
// targets, except-as names; not names bound inside nested defs, classes or
// comprehensions. The renderer and the reference interpreter both use it,
// so the two cannot disagree on a scope.
func BoundNames(stmts []Stmt, out map[string]bool) {
	for i := range stmts {
		s := &stmts[i]
		switch s.Kind {
		case LetStmt, DelStmt, DefStmt, ClassStmt:
			out[s.Name] = true
		case ForStmt, AsyncForStmt:
			if s.TargetExpr == nil {
				out[s.Target] = true
			}
			TargetNames(s.TargetExpr, out)
		}
		if s.Kind == DefStmt || s.Kind == ClassStmt {
			continue
		}
		for _, h := range s.Handlers {
			if h.As != "" {
				out[h.As] = true
			}
			BoundNames(h.Body, out)
		}
		BoundNames(s.Body, out)
		BoundNames(s.Else, out)
		BoundNames(s.Finally, out)
	}
}

// TargetNames adds to out the names an assignment target binds: its vars,
// also inside tuples (an attribute or subscript target binds none). A nil
// target binds nothing.
func TargetNames(t *Expr, out map[string]bool) {
	if t == nil {
		return
	}
	switch t.Kind {
	case VarExpr:
		out[t.Name] = true
	case TupleExpr:
		for i := range t.Items {
			TargetNames(&t.Items[i], out)
		}
	}
}
