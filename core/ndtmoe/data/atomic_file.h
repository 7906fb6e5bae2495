#pragma once
// Writes that never leave a half-written file: write to a temporary sibling, then rename over the target;
// for a directory of files that belong together, fill a sibling directory and swap it in.

#include <functional>
#include <string>

namespace ndtmoe {

// `write` receives the temporary path to fill; on any exception the temporary is removed.
void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write);
void write_text_atomically(const std::string& path, const std::string& text);

// Puts the complete directory `staging` at `path` in one step: where `path` exists the two are exchanged
// (renameat2 with RENAME_EXCHANGE; where the file system cannot, two renames with a moment between) and
// the old contents end up at `staging`, for the caller to remove. Both must be on one file system.
void install_directory(const std::string& staging, const std::string& path);

}  // namespace ndtmoe
