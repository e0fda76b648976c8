// The bottom line: a confirm question, the filter prompt, the add form's keys, or the keys that act in the focused
// pane.
import {Box, Text} from 'ink';
import {useTheme} from '../ThemeContext.js';
import {keyLabel, type Binding} from '../keymap.js';
import type {Confirm} from '../state/ui.js';

export type FooterProps = {
	bindings: Binding[];
	/** Only the question and the highlighted answer are shown (the Fleet view's questions are of other kinds). */
	confirm?: Pick<Confirm, 'question' | 'answer'>;
	filterDraft?: string;
	/** A form has the keys: its own hint replaces the bindings, which do not apply while it is open. */
	formHint?: string;
	width: number;
};

export function Footer({bindings, confirm, filterDraft, formHint, width}: FooterProps) {
	const theme = useTheme();
	let content;
	if (confirm) {
		content = (
			<Text wrap="truncate-end">
				<Text bold color={theme.warn} inverse={!theme.colour}>
					{confirm.question}
				</Text>
				<Text>{'  '}</Text>
				<Text inverse={confirm.answer === 'yes'}>{' y: yes '}</Text>
				<Text> </Text>
				<Text inverse={confirm.answer === 'no'}>{' N: no '}</Text>
				<Text color={theme.muted}>{'  (Enter = highlighted, Esc = no)'}</Text>
			</Text>
		);
	} else if (filterDraft !== undefined) {
		content = (
			<Text wrap="truncate-end">
				<Text bold>/</Text>
				<Text>{filterDraft}</Text>
				<Text inverse> </Text>
				<Text color={theme.muted}>{'   Enter apply · Esc clear'}</Text>
			</Text>
		);
	} else if (formHint !== undefined) {
		content = (
			<Text wrap="truncate-end" color={theme.muted}>
				{formHint}
			</Text>
		);
	} else {
		content = (
			<Text wrap="truncate-end">
				{bindings.map((binding) => (
					<Text key={binding.command}>
						<Text bold color={theme.info}>
							{keyLabel(binding.keys)}
						</Text>
						<Text color={theme.muted}>{` ${binding.short}  `}</Text>
					</Text>
				))}
			</Text>
		);
	}

	return (
		<Box height={1} width={width} overflowY="hidden">
			{content}
		</Box>
	);
}
