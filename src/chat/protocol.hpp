// Every byte sequence a client can see, in one place, so SPEC.md and the code compare line by line.
#pragma once

#include <string_view>

namespace chat::protocol {

inline constexpr std::string_view kWelcome =
    "Welcome to TCP-Chat!\n"
    "         _nnnn_\n"
    "        dGGGGMMb\n"
    "       @p~qp~~qMb\n"
    "       M|@||@) M|\n"
    "       @,----.JM|\n"
    "      JS^\\__/  qKL\n"
    "     dZP        qKRb\n"
    "    dZP          qKKb\n"
    "   fZP            SMMb\n"
    "   HZM            MMMM\n"
    "   FqM            MMMM\n"
    " __| \".        |\\dS\"qML\n"
    " |    `.       | `' \\Zq\n"
    "_)      \\.___.,|     .'\n"
    "\\____   )MMMMMP|   .'\n"
    "     `-'       `--'\n";
inline constexpr std::string_view kNamePrompt = "[ENTER YOUR NAME]: ";
// With a password (--password-file): asked for before the name, one try per connection.
inline constexpr std::string_view kPasswordPrompt = "[ENTER THE PASSWORD]: ";
inline constexpr std::string_view kWrongPassword = "Wrong password.\n";
inline constexpr std::string_view kTooManyWrongPasswords =
    "Too many wrong passwords from your address; try again later.\n";
inline constexpr std::string_view kPasswordTimedOut = "\nTimed out waiting for the password.\n";

inline constexpr std::string_view kChatFull = "Chat is full. Try again later.\n";
inline constexpr std::string_view kTooManyFromAddress = "Too many connections from your address.\n";
// The cursor still sits after the name prompt, hence the leading newline.
inline constexpr std::string_view kNameTimedOut = "\nTimed out waiting for a name.\n";
inline constexpr std::string_view kShuttingDown = "\nServer is shutting down.\n";
// The --log record of a shutdown, after "[<ts>] ".
inline constexpr std::string_view kShutdownRecord = "Server is shutting down.";
// The reply to /quit and to telnet's interrupt, so that nc does not look hung.
inline constexpr std::string_view kGoodbye = "Goodbye.\n";
inline constexpr std::string_view kMessageTooLong =
    "Message too long (max 4096 bytes); not sent.\n";

inline constexpr std::string_view kNameEmpty = "Name cannot be empty.\n";
inline constexpr std::string_view kNameTooLong = "Name is too long (max 32 characters).\n";
inline constexpr std::string_view kNameBadChars =
    "Name cannot contain brackets or control characters.\n";
inline constexpr std::string_view kNameTaken = "Name is already taken.\n";

inline constexpr std::string_view kRoomEmpty = "Room name cannot be empty.\n";
inline constexpr std::string_view kRoomTooLong = "Room name is too long (max 24 characters).\n";
inline constexpr std::string_view kRoomBadChars =
    "Room name cannot contain brackets or control characters.\n";
inline constexpr std::string_view kTooManyRooms =
    "Too many rooms (max 100); join an existing one.\n";
inline constexpr std::string_view kUnknownCommand = "Unknown command. Type /help for the list.\n";
inline constexpr std::string_view kHelp =
    "Commands:\n"
    "  /help            this list\n"
    "  /list            who is online in this room\n"
    "  /name NEW        change your name\n"
    "  /join ROOM       move to another room (created on first use; the first room is general)\n"
    "  /rooms           all rooms and how many are in each\n"
    "  /msg NAME TEXT   a private message to NAME, in any room\n"
    "  /ignore NAME     stop seeing NAME's messages; /ignore alone lists whom you ignore\n"
    "  /unignore NAME   see NAME's messages again\n"
    "  /quit            leave the chat\n"
    "  //text           send a message that starts with /\n";

// Private messages: "\n[<ts>][<sender>][private]:<text>\n" for the recipient,
// "[<ts>][to <recipient>][private]:<text>\n" for the sender. No name holds a bracket, so no
// public line can look like one.
inline constexpr std::string_view kPrivateMark = "][private]:";
inline constexpr std::string_view kPrivateToPrefix = "][to ";
inline constexpr std::string_view kNoSuchName =
    "No one here is called that. Type /list to see who is online.\n";
inline constexpr std::string_view kMsgUsage = "Usage: /msg NAME TEXT\n";
inline constexpr std::string_view kMsgToSelf = "You cannot send a private message to yourself.\n";

// Ignoring: "You are now ignoring <name>.\n" and so on; the ignored person is never told.
inline constexpr std::string_view kNowIgnoringPrefix = "You are now ignoring ";
inline constexpr std::string_view kAlreadyIgnoringPrefix = "You are already ignoring ";
inline constexpr std::string_view kNoLongerIgnoringPrefix = "You are no longer ignoring ";
inline constexpr std::string_view kNotIgnoringPrefix = "You are not ignoring ";
inline constexpr std::string_view kIgnoringPrefix = "Ignoring (";
inline constexpr std::string_view kIgnoringNobody = "You are not ignoring anyone.\n";
inline constexpr std::string_view kIgnoreSelf = "You cannot ignore yourself.\n";
inline constexpr std::string_view kUnignoreUsage = "Usage: /unignore NAME\n";

// Pieces of the framed lines: "\n[<ts>][<name>]:<text>\n", "\n<name> has joined our chat...\n".
inline constexpr std::string_view kJoinedSuffix = " has joined our chat...";
inline constexpr std::string_view kLeftSuffix = " has left our chat...";
inline constexpr std::string_view kRenamedMiddle = " changed their name to ";
inline constexpr std::string_view kOnlinePrefix = "Online (";
inline constexpr std::string_view kRoomsPrefix = "Rooms (";
inline constexpr std::string_view kAlreadyInRoomPrefix = "You are already in ";
// A move: "You are now in <room>.\n" for the mover, "\n<name> moved to <room>.\n" for the old
// room (not a leave: the person is still in the chat), the classic join for the new one.
inline constexpr std::string_view kNowInRoomPrefix = "You are now in ";
inline constexpr std::string_view kMovedMiddle = " moved to ";
// "/rooms": "games (1, you are here)" marks the sender's room.
inline constexpr std::string_view kYouAreHere = ", you are here";
inline constexpr std::string_view kAlreadyCalledPrefix = "You are already called ";

inline constexpr std::string_view kDefaultRoom = "general";

}  // namespace chat::protocol
