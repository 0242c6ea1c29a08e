package scenario

import "encoding/json"

// StmtKind names a statement of the scenario language.
type StmtKind string

// The statements. FORMAT.md gives each one's meaning and Python rendering.
const (
	DefStmt       StmtKind = "def"        // def / async def (a generator if its body yields)
	ClassStmt     StmtKind = "class"      // class whose body holds defs and lets
	LetStmt       StmtKind = "let"        // name = expr
	SetAttrStmt   StmtKind = "setattr"    // object.name = expr
	DelStmt       StmtKind = "del"        // del name
	ExprStmt      StmtKind = "expr"       // evaluate expr, discard the value
	ObserveStmt   StmtKind = "observe"    // record the value of expr
	EmitStmt      StmtKind = "emit"       // record an event
	YieldStmt     StmtKind = "yield"      // yield [expr]
	YieldFromStmt StmtKind = "yield_from" // yield from expr
	ReturnStmt    StmtKind = "return"     // return [expr]
	RaiseStmt     StmtKind = "raise"      // raise [expr]
	TryStmt       StmtKind = "try"        // try/except/else/finally
	IfStmt        StmtKind = "if"         // if cond: body else: else
	ForStmt       StmtKind = "for"        // for target in iter: body else: else
	WhileStmt     StmtKind = "while"      // while cond: body else: else
	AsyncForStmt  StmtKind = "async_for"  // async for target in iter: body else: else
	AsyncWithStmt StmtKind = "async_with" // async with expr: body
	BreakStmt     StmtKind = "break"
	ContinueStmt  StmtKind = "continue"
	PassStmt      StmtKind = "pass"
)

// Stmt is a statement. Kind decides which other fields are meaningful; the
// decoder rejects the rest.
type Stmt struct {
	Kind StmtKind `json:"kind"`
	// Name: the function or class defined (def, class), the variable bound
	// (let, del), or the attribute set (setattr).
	Name string `json:"name,omitempty"`
	// Async makes a def an `async def`.
	Async bool `json:"async,omitempty"`
	// Generator makes a def a generator function even if its body never
	// yields (rendered with an unreachable `yield`).
	Generator bool `json:"generator,omitempty"`
	// Params are a def's parameters, after the implicit self of a method.
	Params []string `json:"params,omitempty"`
	// Target is the loop variable of for and async_for: a name. TargetExpr,
	// set instead, is any other assignment target (see [Expr.IsTarget]):
	// in JSON both are the field "target", a string or an expression.
	Target     string `json:"target,omitempty"`
	TargetExpr *Expr  `json:"-"`
	// Bases are a class's base classes: names of exception classes (the
	// names table of FORMAT.md) or of classes the scenario defined.
	Bases []string `json:"bases,omitempty"`
	// Object is the object whose attribute setattr sets.
	Object *Expr `json:"object,omitempty"`
	// Expr is the statement's expression (let, setattr, expr, observe, emit,
	// yield, yield_from, return, raise, async_with).
	Expr *Expr `json:"expr,omitempty"`
	// Iter is what for and async_for iterate over.
	Iter *Expr `json:"iter,omitempty"`
	// Cond is the condition of if and while.
	Cond *Expr `json:"cond,omitempty"`
	// Event is the name of the event an emit statement records.
	Event string `json:"event,omitempty"`
	// Body is the block of def, class, try, if, for, while, async_for,
	// async_with.
	Body []Stmt `json:"body,omitempty"`
	// Calls gives a def a different body per call: the k-th call (counted
	// from 0, per instance for methods, per function otherwise) runs
	// Calls[k]; calls after the last run Body.
	Calls [][]Stmt `json:"calls,omitempty"`
	// Handlers are a try statement's except clauses, in order.
	Handlers []Handler `json:"handlers,omitempty"`
	// Else is the else block of try, if, for, while and async_for.
	Else []Stmt `json:"else,omitempty"`
	// Finally is a try statement's finally block.
	Finally []Stmt `json:"finally,omitempty"`
}

// Handler is an except clause: `except Type as As: Body`. An empty Type is
// a bare `except:`.
type Handler struct {
	Type string `json:"type,omitempty"`
	As   string `json:"as,omitempty"`
	Body []Stmt `json:"body,omitempty"`
}

// ExprKind names an expression of the scenario language.
type ExprKind string

// The expressions. FORMAT.md gives each one's meaning and Python rendering.
const (
	LitExpr           ExprKind = "lit"           // a literal Value
	VarExpr           ExprKind = "var"           // a name: local, global, or builtin
	CallExpr          ExprKind = "call"          // func(*args, **kwargs)
	MethodExpr        ExprKind = "method"        // of.name(*args, **kwargs)
	AttrExpr          ExprKind = "attr"          // of.name
	AwaitExpr         ExprKind = "await"         // await expr
	YieldExpr         ExprKind = "yield"         // (yield [expr])
	TypeNameExpr      ExprKind = "typename"      // type(of).__name__
	IsExpr            ExprKind = "is"            // left is right
	BinOpExpr         ExprKind = "binop"         // left op right
	NotExpr           ExprKind = "not"           // not expr
	ListExpr          ExprKind = "list"          // [items]
	TupleExpr         ExprKind = "tuple"         // (items,)
	ComprehensionExpr ExprKind = "comprehension" // [element clauses], {...}, (...)
	LambdaExpr        ExprKind = "lambda"        // lambda: expr
	CompileExpr       ExprKind = "compile"       // compile(rendered body, ...)
	FutureExpr        ExprKind = "future"        // an already-done asyncio.Future
	SubscriptExpr     ExprKind = "subscript"     // of[index]
)

// Expr is an expression. Kind decides which other fields are meaningful;
// the decoder rejects the rest.
type Expr struct {
	Kind ExprKind `json:"kind"`
	// Value is a lit's value.
	Value *Value `json:"value,omitempty"`
	// Name: the variable (var), attribute (attr) or method (method).
	Name string `json:"name,omitempty"`
	// Func is the callee of call: a defined function or class, a builtin
	// such as anext, or a dotted name such as asyncio.sleep (FORMAT.md lists
	// them).
	Func string `json:"func,omitempty"`
	// Of is the object of attr, method, typename and subscript.
	Of *Expr `json:"of,omitempty"`
	// Expr is the operand of await, yield, not and lambda.
	Expr *Expr `json:"expr,omitempty"`
	// Args and Kwargs are the arguments of call and method.
	Args   []Expr          `json:"args,omitempty"`
	Kwargs map[string]Expr `json:"kwargs,omitempty"`
	// Op is a binop's operator: + - * // % == != < <= > >= and or.
	Op    string `json:"op,omitempty"`
	Left  *Expr  `json:"left,omitempty"`
	Right *Expr  `json:"right,omitempty"`
	// Items are the elements of a list or tuple display.
	Items []Expr `json:"items,omitempty"`
	// Form is a comprehension's form: list, set, dict or genexp.
	Form string `json:"form,omitempty"`
	// Element is a comprehension's element (a dict comprehension's value).
	Element *Expr `json:"element,omitempty"`
	// Key is a dict comprehension's key.
	Key *Expr `json:"key,omitempty"`
	// Clauses are a comprehension's for / async for clauses, outermost first.
	Clauses []Clause `json:"clauses,omitempty"`
	// Body is the module a compile expression renders and compiles.
	Body []Stmt `json:"body,omitempty"`
	// Flags are compile flags: "top_level_await" (PyCF_ALLOW_TOP_LEVEL_AWAIT).
	Flags []string `json:"flags,omitempty"`
	// Result and Exception make a future done with that result or exception.
	Result    *Expr `json:"result,omitempty"`
	Exception *Expr `json:"exception,omitempty"`
	// Index is a subscript's index.
	Index *Expr `json:"index,omitempty"`
}

// IsTarget says whether e can be assigned to, as the target of a for or
// async for statement or of a comprehension clause: a name, an attribute,
// a subscript, or a tuple of targets.
func (e *Expr) IsTarget() bool {
	switch e.Kind {
	case VarExpr, AttrExpr, SubscriptExpr:
		return true
	case TupleExpr:
		for i := range e.Items {
			if !e.Items[i].IsTarget() {
				return false
			}
		}
		return len(e.Items) > 0
	}
	return false
}

// Clause is one `for` or `async for` clause of a comprehension, with its
// `if` conditions.
type Clause struct {
	Async bool `json:"async,omitempty"`
	// Target is the clause's variable; TargetExpr, set instead, any other
	// assignment target (in JSON both are "target", as in [Stmt]).
	Target     string `json:"target"`
	TargetExpr *Expr  `json:"-"`
	Iter       *Expr  `json:"iter"`
	If         []Expr `json:"if,omitempty"`
}

// The comprehension forms.
const (
	ListForm   = "list"
	SetForm    = "set"
	DictForm   = "dict"
	GenexpForm = "genexp"
)

// BinaryOps are the operators a binop may use.
var BinaryOps = []string{"+", "-", "*", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"}

// CompileFlags are the flags a compile expression may use.
var CompileFlags = []string{"top_level_await"}

// Field sets per kind: which JSON fields each kind allows, and which of
// them it requires. Kept as data so that the decoder, the docs test and
// harness authors read one table.
type fieldRule struct{ allowed, required []string }

var stmtFields = map[StmtKind]fieldRule{
	DefStmt:       {[]string{"name", "async", "generator", "params", "body", "calls"}, []string{"name"}},
	ClassStmt:     {[]string{"name", "bases", "body"}, []string{"name"}},
	LetStmt:       {[]string{"name", "expr"}, []string{"name", "expr"}},
	SetAttrStmt:   {[]string{"object", "name", "expr"}, []string{"object", "name", "expr"}},
	DelStmt:       {[]string{"name"}, []string{"name"}},
	ExprStmt:      {[]string{"expr"}, []string{"expr"}},
	ObserveStmt:   {[]string{"expr"}, []string{"expr"}},
	EmitStmt:      {[]string{"event", "expr"}, []string{"event"}},
	YieldStmt:     {[]string{"expr"}, nil},
	YieldFromStmt: {[]string{"expr"}, []string{"expr"}},
	ReturnStmt:    {[]string{"expr"}, nil},
	RaiseStmt:     {[]string{"expr"}, nil},
	TryStmt:       {[]string{"body", "handlers", "else", "finally"}, nil},
	IfStmt:        {[]string{"cond", "body", "else"}, []string{"cond"}},
	ForStmt:       {[]string{"target", "iter", "body", "else"}, []string{"target", "iter"}},
	AsyncForStmt:  {[]string{"target", "iter", "body", "else"}, []string{"target", "iter"}},
	WhileStmt:     {[]string{"cond", "body", "else"}, []string{"cond"}},
	AsyncWithStmt: {[]string{"expr", "body"}, []string{"expr"}},
	BreakStmt:     {},
	ContinueStmt:  {},
	PassStmt:      {},
}

var exprFields = map[ExprKind]fieldRule{
	LitExpr:           {[]string{"value"}, []string{"value"}},
	VarExpr:           {[]string{"name"}, []string{"name"}},
	CallExpr:          {[]string{"func", "args", "kwargs"}, []string{"func"}},
	MethodExpr:        {[]string{"of", "name", "args", "kwargs"}, []string{"of", "name"}},
	AttrExpr:          {[]string{"of", "name"}, []string{"of", "name"}},
	AwaitExpr:         {[]string{"expr"}, []string{"expr"}},
	YieldExpr:         {[]string{"expr"}, nil},
	TypeNameExpr:      {[]string{"of"}, []string{"of"}},
	IsExpr:            {[]string{"left", "right"}, []string{"left", "right"}},
	BinOpExpr:         {[]string{"op", "left", "right"}, []string{"op", "left", "right"}},
	NotExpr:           {[]string{"expr"}, []string{"expr"}},
	ListExpr:          {[]string{"items"}, nil},
	TupleExpr:         {[]string{"items"}, nil},
	ComprehensionExpr: {[]string{"form", "element", "key", "clauses"}, []string{"form", "element", "clauses"}},
	LambdaExpr:        {[]string{"expr"}, []string{"expr"}},
	CompileExpr:       {[]string{"body", "flags"}, nil},
	FutureExpr:        {[]string{"result", "exception"}, nil},
	SubscriptExpr:     {[]string{"of", "index"}, []string{"of", "index"}},
}

// MarshalJSON writes s with its "target" field a string (Target) or an
// expression (TargetExpr).
func (s Stmt) MarshalJSON() ([]byte, error) {
	type plain Stmt
	if s.TargetExpr == nil {
		return json.Marshal(plain(s))
	}
	// The outer field hides the embedded one of the same JSON name.
	return json.Marshal(struct {
		plain
		Target *Expr `json:"target"`
	}{plain(s), s.TargetExpr})
}

// MarshalJSON writes c as [Stmt.MarshalJSON] writes a statement's target.
func (c Clause) MarshalJSON() ([]byte, error) {
	type plain Clause
	if c.TargetExpr == nil {
		return json.Marshal(plain(c))
	}
	return json.Marshal(struct {
		plain
		Target *Expr `json:"target"`
	}{plain(c), c.TargetExpr})
}
