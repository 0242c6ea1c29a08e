package reference

// cancelAllTasks is asyncio.runners._cancel_all_tasks.
func (l *Loop) cancelAllTasks() error {
	toCancel := l.AllTasks()
	if len(toCancel) == 0 {
		return nil
	}
	l.cancellingAll = true
	defer func() { l.cancellingAll = false }()
	aws := make([]Object, len(toCancel))
	for i, t := range toCancel {
		t.Cancel(nil)
		aws[i] = t
	}
	outer, exc := l.gather(aws, true)
	if exc != nil {
		return exc
	}
	if _, err := l.RunUntilComplete(outer); err != nil {
		return err
	}
	for _, t := range toCancel {
		if t.Cancelled() {
			continue
		}
		if e, _ := t.Exception(); e != nil {
			l.CallExceptionHandler(ExceptionContext{Message: "unhandled exception during asyncio.run() shutdown", Exception: e, Key: "task", Object: t})
		}
	}
	return nil
}

// Run is asyncio.run(main): a new loop runs main as a task until it is
// done; then, as asyncio.Runner.close does, the remaining tasks are
// cancelled and awaited, shutdown_asyncgens closes the async
// generators still alive, and the loop is closed. It returns main's
// result or exception. main must be a coroutine ("ValueError: a
// coroutine was expected, got ..."); calling Run while a loop runs
// gives "RuntimeError: asyncio.run() cannot be called from a running
// event loop".
func (rt *Runtime) Run(main Object) (Object, error) {
	if rt.loop != nil {
		dropTemporary(main)
		return nil, Errorf(ExcRuntimeError, "asyncio.run() cannot be called from a running event loop")
	}
	if !IsCoroutine(main) {
		return nil, Errorf(ExcValueError, "a coroutine was expected, got %s", reprOr(main))
	}
	l := rt.NewEventLoop()
	return l.RunMain(main)
}

// RunMain is asyncio.Runner(loop).run(main) followed by close(): what
// [Runtime.Run] does, on a loop the caller configured.
func (l *Loop) RunMain(main Object) (Object, error) {
	var res Object
	var err error
	if t, exc := l.createTask(main); exc != nil {
		err = exc
	} else {
		res, err = l.RunUntilComplete(t)
	}
	if cerr := l.shutdown(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (l *Loop) shutdown() error {
	defer l.Close()
	if err := l.cancelAllTasks(); err != nil {
		return err
	}
	if _, err := l.RunUntilComplete(l.ShutdownAsyncgens()); err != nil {
		return err
	}
	executor := l.rt.NewCoroutine("shutdown_default_executor", "BaseEventLoop.shutdown_default_executor",
		func(*Frame) (Object, error) { return None, nil })
	_, err := l.RunUntilComplete(executor)
	return err
}
