/**
 * The exit code with which the kiosk backend asks to be started again as a new app: the updater
 * has put another AppImage in place (an update, or a rollback). Electron main answers it with
 * `app.relaunch()`; 75 is EX_TEMPFAIL, so a process supervisor running the backend on its own
 * (the browser shell under systemd) restarts it too.
 */
export const RELAUNCH_EXIT_CODE = 75;
