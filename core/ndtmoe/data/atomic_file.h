#pragma once
// Writes that never leave a half-written file: write to a temporary sibling, then rename over the target.

#include <functional>
#include <string>

namespace ndtmoe {

// `write` receives the temporary path to fill; on any exception the temporary is removed.
void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write);
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace ndtmoe
