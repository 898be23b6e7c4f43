// The classroom's code editor: CodeMirror 6 with the three languages' highlighting and indentation.
// ./bootstrap bundles this file with esbuild into dist/editor.js, which the classroom serves.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import {
  StreamLanguage, bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting,
} from "@codemirror/language";
import { csharp } from "@codemirror/legacy-modes/mode/clike";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

const LANGUAGES = { python: () => python(), javascript: () => javascript(), csharp: () => StreamLanguage.define(csharp) };

// An editor in `parent` holding `text`; `changed(text)` is called after every edit. Its styles go into a
// <style> element that the page's Content-Security-Policy allows by `nonce`.
export function createEditor(parent, text, language, changed, nonce) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        EditorView.cspNonce.of(nonce || ""), lineNumbers(), history(), drawSelection(), highlightActiveLine(), indentOnInput(), bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle), (LANGUAGES[language] || LANGUAGES.python)(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => { if (update.docChanged) changed(update.state.doc.toString()); }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    replace: (next) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }),
    destroy: () => view.destroy(),
  };
}
