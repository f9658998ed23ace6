// The working-day calendar lives in its own module (the simulator reads it without the
// runtime); the runtime's users keep seeing it through `import SOPRuntime`.
@_exported import SOPCalendar
