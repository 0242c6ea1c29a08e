package scenario

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
	// Target is the loop variable of for and async_for.
	Target string `json:"target,omitempty"`
	// Object is the object whose attribute setattr sets.
	Object *Expr `json:"object,omitempty"`
	// Expr is the statement's expression (let, setattr, expr, observe, emit,
	// yield, yield_from, return, raise, async_with).
	Expr *Expr `json:"expr,omitempty"`
	// Iter is what for and async_for iterate over.
	Iter *Expr `json:"iter,omitempty"`
	// Cond is an if statement's condition.
	Cond *Expr `json:"cond,omitempty"`
	// Event is the name of the event an emit statement records.
	Event string `json:"event,omitempty"`
	// Body is the block of def, class, try, if, for, async_for, async_with.
	Body []Stmt `json:"body,omitempty"`
	// Calls gives a def a different body per call: the k-th call (counted
	// from 0, per instance for methods, per function otherwise) runs
	// Calls[k]; calls after the last run Body.
	Calls [][]Stmt `json:"calls,omitempty"`
	// Handlers are a try statement's except clauses, in order.
	Handlers []Handler `json:"handlers,omitempty"`
	// Else is the else block of try, if, for and async_for.
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
	// Of is the object of attr, method and typename.
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
}

// Clause is one `for` or `async for` clause of a comprehension, with its
// `if` conditions.
type Clause struct {
	Async  bool   `json:"async,omitempty"`
	Target string `json:"target"`
	Iter   *Expr  `json:"iter"`
	If     []Expr `json:"if,omitempty"`
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
	ClassStmt:     {[]string{"name", "body"}, []string{"name"}},
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
}
