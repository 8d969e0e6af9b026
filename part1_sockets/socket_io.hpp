// socket_io.hpp: reading and writing a TCP byte stream with blocking calls.
// TCP delivers bytes, not messages: one read may return part of what the peer wrote, or several writes at
// once, and one write may accept only part of the buffer. These three functions are where that is handled.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

// Reads whatever has arrived (at least one byte, at most buffer.size()), blocking until something has.
// Returns 0 at end of stream: the peer sent FIN (closed, or shut down its writing side).
// Throws std::system_error on a reset (ECONNRESET) or any other error. Retries on EINTR.
std::size_t read_some(int fd, std::span<char> buffer);

// Reads exactly buffer.size() bytes unless the stream ends first. Returns how many bytes were read: less
// than buffer.size() only at end of stream.
std::size_t read_exact(int fd, std::span<char> buffer);

// Writes every byte of data, looping over partial writes and EINTR. Uses send(MSG_NOSIGNAL), so writing to a
// connection the peer has reset throws (EPIPE/ECONNRESET) instead of killing the process with SIGPIPE.
void write_all(int fd, std::string_view data);
