// Preloaded into dynalite (node --require) in the local-peers image. dynalite 4.0.0 throws from a
// request's 'error' handler, so one client that gives up on a request (an SDK call timing out under
// load: ECONNRESET, "aborted") would end the whole process and every service's table with it. This
// logs such an abort and keeps serving; any other uncaught exception still ends the process.
'use strict'
process.on('uncaughtException', (err) => {
  if (err && err.code === 'ECONNRESET') {
    console.error('dynalite: a client aborted a request (' + err.message + '); serving on')
    return
  }
  console.error(err)
  process.exit(1)
})
