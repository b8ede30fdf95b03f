// Prints the state of every connector and task from Connect's GET /connectors?expand=status JSON on stdin;
// exits 1 when a connector or task has FAILED.
// Plain Node without dependencies, so `stack:status` works before `npm install`.
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const connectors = JSON.parse(input || '{}');
  let failed = false;
  for (const [name, info] of Object.entries(connectors)) {
    const { connector, tasks } = info.status;
    const taskText = tasks.map((task) => `task ${task.id} ${task.state}`).join(', ') || 'no tasks';
    console.log(`  ${name}: ${connector.state} (${taskText})`);
    failed ||= connector.state === 'FAILED' || tasks.some((task) => task.state === 'FAILED');
  }
  // A failed connector means CDC is not flowing: the stack is not healthy.
  process.exitCode = failed ? 1 : 0;
});
