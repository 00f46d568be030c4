// The two prompts of the protocol as the client recognises them in the server's text.
#pragma once

#include <cstddef>
#include <string_view>

namespace client {

// Where the prompt of the protocol starting at `at` ends, or npos: `[ENTER YOUR NAME]: ` or
// `[<ts>][<me>]:`.
std::size_t promptEnd(std::string_view line, std::size_t at);

// Where the last of the prompts that make up all of `line` starts, or npos when `line` is not
// made of prompts alone. Several come at once when several lines were sent at once (a paste):
// the server answers each with a fresh prompt, and only the last one is still a prompt. A
// message line has text after its `]:` (empty ones are not sent) and names hold no brackets,
// so no message or notice looks like this, however the reads cut it.
std::size_t lastPromptStart(std::string_view line);

inline bool isPrompt(std::string_view line) {
  return lastPromptStart(line) != std::string_view::npos;
}

// The name in `line` when the last prompt that makes it up is a chat prompt `[<ts>][<me>]:`;
// empty otherwise (the name prompt, or not prompts at all).
std::string_view chatPromptName(std::string_view line);

// Whether `line` is shaped as a chat message `[<ts>][<name>]:<text>` with text after it: the
// shape of every line of the history the server replays.
bool isMessageLine(std::string_view line);

}  // namespace client
