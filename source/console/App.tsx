// The console's screen: header, the Runtime | Channels | Reload band, Logs, footer. It only maps state to boxes;
// state lives in the store, effects in the controller, key routing in intents.ts.
import {Box} from 'ink';
import {useMemo} from 'react';
import {useConsoleInput, type ConsoleEffects} from './hooks/useConsoleInput.js';
import {useConsoleState} from './hooks/useConsoleState.js';
import {useTerminalSize, type TerminalSize} from './hooks/useTerminalSize.js';
import {footerBindings} from './keymap.js';
import {computeLayout} from './layout.js';
import {Footer} from './panes/Footer.js';
import {Header} from './panes/Header.js';
import {HelpOverlay} from './panes/HelpOverlay.js';
import {LinesPane} from './panes/LinesPane.js';
import {LogsPane} from './panes/LogsPane.js';
import {logWindow} from './state/log-window.js';
import {reachCommand} from './state/reach-command.js';
import {channelLines, describeLink, reloadLines, runtimeLines} from './state/view-lines.js';
import {visibleFlash} from './state/view-signature.js';
import type {ConsoleStore} from './store.js';
import {ThemeContext} from './ThemeContext.js';
import type {Theme} from './theme.js';
import type {ConsoleAction, ConsoleState} from './state/index.js';

export type AppProps = {
	store: ConsoleStore;
	effects: ConsoleEffects;
	theme: Theme;
	/** Follow the real terminal's size (off in tests, which set the size in the state). */
	trackTerminalSize?: boolean;
	/** Channel rows older than this are marked stale. */
	staleAfterMs?: number;
	/** What the header names as the target instead of the URL (a gateway opened from the Fleet view: its row's name). */
	target?: string;
};

function targetLabel(state: ConsoleState): string {
	switch (state.runtime.mode) {
		case 'local':
			return `local${state.connection.url ? ` ${state.connection.url}` : ''}`;
		case 'ssh':
			return `ssh ${state.tunnel?.target ?? ''}`;
		case 'attach':
			return state.connection.url ?? 'attached';
	}
}

const consoleResize = (size: TerminalSize): ConsoleAction => ({type: 'ui/resize', ...size});

export function App({store, effects, theme, trackTerminalSize = true, staleAfterMs = 20_000, target}: AppProps) {
	const state = useConsoleState(store);
	useTerminalSize(store, trackTerminalSize, consoleResize);
	useConsoleInput(store, effects);
	const layout = computeLayout(state.ui.size);
	const {logs, ui} = state;
	const window = useMemo(() => logWindow(logs, {height: layout.logRows, width: layout.logColumns}), [logs, layout.logRows, layout.logColumns]);
	const link = describeLink(state);
	const flash = visibleFlash(state);
	const bodyHeight = layout.topHeight + layout.logsHeight;
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={layout.width} height={layout.height} overflowY="hidden">
				<Header target={target ?? targetLabel(state)} link={link} flash={flash} width={layout.width} />
				{ui.help ? (
					<HelpOverlay focus={ui.focus} width={layout.width} height={bodyHeight} reach={reachCommand(state)} />
				) : (
					<Box flexDirection="column" height={bodyHeight} overflowY="hidden">
						<Box flexDirection="row" height={layout.topHeight} overflowY="hidden">
							<LinesPane title="Runtime" lines={runtimeLines(state)} focused={ui.focus === 'runtime'} width={layout.topWidths.runtime} height={layout.topHeight} />
							<LinesPane
								title="Channels"
								lines={channelLines(state, staleAfterMs)}
								focused={ui.focus === 'channels'}
								width={layout.topWidths.channels}
								height={layout.topHeight}
								labelWidth={10}
							/>
							<LinesPane title="Reload" lines={reloadLines(state)} focused={ui.focus === 'reload'} width={layout.topWidths.reload} height={layout.topHeight} />
						</Box>
						<LogsPane logs={logs} window={window} focused={ui.focus === 'logs'} width={layout.width} height={layout.logsHeight} rows={layout.logRows} />
					</Box>
				)}
				<Footer bindings={footerBindings(ui.focus)} confirm={ui.confirm} filterDraft={ui.filterDraft} width={layout.width} />
			</Box>
		</ThemeContext.Provider>
	);
}
