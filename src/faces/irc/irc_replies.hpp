// Every numeric and fixed text the IRC face sends, in one place, so they compare with the RFCs.
//
// Shapes follow RFC 2812 §5 as modern servers send them: the first parameter of every numeric is
// the client's nick ("*" before it has one). Each constant's comment gives the parameters after
// the command; <client> is that nick.
#pragma once

#include <string_view>

namespace faces::irc::replies {

// The nick a numeric addresses before registration has given the client one.
inline constexpr std::string_view kNoNickYet = "*";

// --- Registration ---------------------------------------------------------------------------
// 001 <client> :Welcome to the <network> IRC Network, <nick>!<user>@<host>
inline constexpr std::string_view kRplWelcome = "001";
inline constexpr std::string_view kWelcomeText = "Welcome to the netcat-chat IRC Network, ";
// 002 <client> :Your host is <servername>, running version <version>
inline constexpr std::string_view kRplYourHost = "002";
inline constexpr std::string_view kYourHostText = "Your host is ";
inline constexpr std::string_view kYourHostVersionText = ", running version ";
// 003 <client> :This server was created <datetime>
inline constexpr std::string_view kRplCreated = "003";
inline constexpr std::string_view kCreatedText = "This server was created ";
// 004 <client> <servername> <version> <user modes> <channel modes>. No mode can be set here, but
// each list must be a word; small servers (miniircd) name just "o" for both, and clients accept it.
inline constexpr std::string_view kRplMyInfo = "004";
inline constexpr std::string_view kUserModes = "o";
inline constexpr std::string_view kChannelModes = "o";
// 005 <client> <token>... :are supported by this server
inline constexpr std::string_view kRplISupport = "005";
inline constexpr std::string_view kISupportText = "are supported by this server";
// The 005 tokens. ascii casemapping: names compare ignoring ASCII case only (docs/PROTOCOL.md
// §5.4). PREFIX= without a value (the modern ISUPPORT way to say "no prefixes"; "()" reads as a
// malformed list to some) and empty CHANMODES: there are no channel operators and no modes. NICKLEN
// matches the 32 characters of a name (faces/irc/irc_text.hpp kNickLen); CHANNELLEN is '#' plus a
// room name's 24.
inline constexpr std::string_view kISupportTokens[] = {
    "CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=", "NICKLEN=32", "CHANNELLEN=25", "CHANMODES=,,,",
};

// --- Message of the day ---------------------------------------------------------------------
// 375 <client> :- <servername> Message of the day -
inline constexpr std::string_view kRplMotdStart = "375";
inline constexpr std::string_view kMotdStartText = "- ";
inline constexpr std::string_view kMotdStartTextEnd = " Message of the day - ";
// 372 <client> :- <line>
inline constexpr std::string_view kRplMotd = "372";
inline constexpr std::string_view kMotdLinePrefix = "- ";
// The message of the day: how the chat looks from IRC.
inline constexpr std::string_view kMotdLines[] = {
    "This is netcat-chat: the same chat as nc, telnet and web users have.",
    "Its rooms are channels: #general is where nc users start; /list shows the rest.",
    "A nick in [brackets] is a name no nick can spell; /msg it as it is shown.",
};
// 376 <client> :End of /MOTD command.
inline constexpr std::string_view kRplEndOfMotd = "376";
inline constexpr std::string_view kEndOfMotdText = "End of /MOTD command.";
// 422 <client> :MOTD File is missing
inline constexpr std::string_view kErrNoMotd = "422";
inline constexpr std::string_view kNoMotdText = "MOTD File is missing";

// --- Channels -------------------------------------------------------------------------------
// 331 <client> <channel> :No topic is set
inline constexpr std::string_view kRplNoTopic = "331";
inline constexpr std::string_view kNoTopicText = "No topic is set";
// 332 <client> <channel> :<topic>
inline constexpr std::string_view kRplTopic = "332";
// 353 <client> <symbol> <channel> :<nick> <nick>...  ("=": a public channel)
inline constexpr std::string_view kRplNamReply = "353";
inline constexpr std::string_view kPublicChannelSymbol = "=";
// 366 <client> <channel> :End of /NAMES list
inline constexpr std::string_view kRplEndOfNames = "366";
inline constexpr std::string_view kEndOfNamesText = "End of /NAMES list";
// 321 <client> Channel :Users  Name
inline constexpr std::string_view kRplListStart = "321";
inline constexpr std::string_view kListStartChannel = "Channel";
inline constexpr std::string_view kListStartText = "Users  Name";
// 322 <client> <channel> <visible count> :<topic>
inline constexpr std::string_view kRplList = "322";
// 323 <client> :End of /LIST
inline constexpr std::string_view kRplListEnd = "323";
inline constexpr std::string_view kListEndText = "End of /LIST";
// 324 <client> <channel> <modestring>
inline constexpr std::string_view kRplChannelModeIs = "324";
// 221 <client> <user modes>
inline constexpr std::string_view kRplUModeIs = "221";
inline constexpr std::string_view kNoModes = "+";
// 352 <client> <channel> <user> <host> <server> <nick> <flags> :<hopcount> <realname>
inline constexpr std::string_view kRplWhoReply = "352";
inline constexpr std::string_view kWhoHereFlag = "H";
inline constexpr std::string_view kWhoHopCount = "0 ";
// 311 <client> <nick> <user> <host> * :<realname>
inline constexpr std::string_view kRplWhoisUser = "311";
// 319 <client> <nick> :<channel> <channel>...
inline constexpr std::string_view kRplWhoisChannels = "319";
// 318 <client> <nick> :End of /WHOIS list
inline constexpr std::string_view kRplEndOfWhois = "318";
inline constexpr std::string_view kEndOfWhoisText = "End of /WHOIS list";
// 368 <client> <channel> :End of channel ban list  (MODE #channel b: there are no bans)
inline constexpr std::string_view kRplEndOfBanList = "368";
inline constexpr std::string_view kEndOfBanListText = "End of channel ban list";
// 301 <client> <nick> :<away message>  (to whoever writes to someone away)
inline constexpr std::string_view kRplAway = "301";
// 302 <client> :<nick>=+<user>@<host> ...  (USERHOST, at most five nicks)
inline constexpr std::string_view kRplUserHost = "302";
inline constexpr std::size_t kMaxUserHostNicks = 5;
// 303 <client> :<nick> ...  (ISON: the ones here)
inline constexpr std::string_view kRplIsOn = "303";
// 305 <client> :You are no longer marked as being away
inline constexpr std::string_view kRplUnaway = "305";
inline constexpr std::string_view kUnawayText = "You are no longer marked as being away";
// 306 <client> :You have been marked as being away
inline constexpr std::string_view kRplNowAway = "306";
inline constexpr std::string_view kNowAwayText = "You have been marked as being away";
// 315 <client> <mask> :End of /WHO list
inline constexpr std::string_view kRplEndOfWho = "315";
inline constexpr std::string_view kEndOfWhoText = "End of /WHO list";

// --- Errors ---------------------------------------------------------------------------------
// 401 <client> <nickname> :No such nick/channel
inline constexpr std::string_view kErrNoSuchNick = "401";
inline constexpr std::string_view kNoSuchNickText = "No such nick/channel";
// 403 <client> <channel> :No such channel
inline constexpr std::string_view kErrNoSuchChannel = "403";
inline constexpr std::string_view kNoSuchChannelText = "No such channel";
// 404 <client> <channel> :Cannot send to channel  (a channel one is not in)
inline constexpr std::string_view kErrCannotSendToChan = "404";
inline constexpr std::string_view kCannotSendToChanText = "Cannot send to channel";
// 405 <client> <channel> :You have joined too many channels  (here: the chat has its most rooms)
inline constexpr std::string_view kErrTooManyChannels = "405";
// 409 <client> :No origin specified  (PING without a parameter)
inline constexpr std::string_view kErrNoOrigin = "409";
inline constexpr std::string_view kNoOriginText = "No origin specified";
// 411 <client> :No recipient given (<command>)
inline constexpr std::string_view kErrNoRecipient = "411";
inline constexpr std::string_view kNoRecipientText = "No recipient given (";
inline constexpr std::string_view kNoRecipientTextEnd = ")";
// 412 <client> :No text to send
inline constexpr std::string_view kErrNoTextToSend = "412";
inline constexpr std::string_view kNoTextToSendText = "No text to send";
// 417 <client> :Input line was too long
inline constexpr std::string_view kErrInputTooLong = "417";
inline constexpr std::string_view kInputTooLongText = "Input line was too long";
// 421 <client> <command> :Unknown command
inline constexpr std::string_view kErrUnknownCommand = "421";
inline constexpr std::string_view kUnknownCommandText = "Unknown command";
// 431 <client> :No nickname given
inline constexpr std::string_view kErrNoNicknameGiven = "431";
inline constexpr std::string_view kNoNicknameGivenText = "No nickname given";
// 432 <client> <nick> :Erroneous nickname
inline constexpr std::string_view kErrErroneousNickname = "432";
inline constexpr std::string_view kErroneousNicknameText = "Erroneous nickname";
// 433 <client> <nick> :Nickname is already in use
inline constexpr std::string_view kErrNicknameInUse = "433";
inline constexpr std::string_view kNicknameInUseText = "Nickname is already in use";
// 442 <client> <channel> :You're not on that channel
inline constexpr std::string_view kErrNotOnChannel = "442";
inline constexpr std::string_view kNotOnChannelText = "You're not on that channel";
// 451 <client> :You have not registered
inline constexpr std::string_view kErrNotRegistered = "451";
inline constexpr std::string_view kNotRegisteredText = "You have not registered";
// 461 <client> <command> :Not enough parameters
inline constexpr std::string_view kErrNeedMoreParams = "461";
inline constexpr std::string_view kNeedMoreParamsText = "Not enough parameters";
// 462 <client> :You may not reregister
inline constexpr std::string_view kErrAlreadyRegistered = "462";
inline constexpr std::string_view kAlreadyRegisteredText = "You may not reregister";
// 464 <client> :Password incorrect
inline constexpr std::string_view kErrPasswdMismatch = "464";
inline constexpr std::string_view kPasswdMismatchText = "Password incorrect";
// 482 <client> <channel> :You're not channel operator  (TOPIC set: there are no operators)
inline constexpr std::string_view kErrChanOPrivsNeeded = "482";
inline constexpr std::string_view kChanOPrivsNeededText = "You're not channel operator";
// 502 <client> :Cant change mode for other users
inline constexpr std::string_view kErrUsersDontMatch = "502";
inline constexpr std::string_view kUsersDontMatchText = "Cant change mode for other users";

// --- Capability negotiation (IRCv3 CAP, version 302) ----------------------------------------
// CAP <client> LS :<caps>   CAP <client> ACK :<caps>   CAP <client> NAK :<caps>
inline constexpr std::string_view kCap = "CAP";
inline constexpr std::string_view kCapLs = "LS";
inline constexpr std::string_view kCapList = "LIST";
inline constexpr std::string_view kCapReq = "REQ";
// 410 <client> <subcommand> :Invalid CAP command
inline constexpr std::string_view kErrInvalidCapCmd = "410";
inline constexpr std::string_view kInvalidCapCmdText = "Invalid CAP command";
inline constexpr std::string_view kCapAck = "ACK";
inline constexpr std::string_view kCapNak = "NAK";
inline constexpr std::string_view kCapEnd = "END";
inline constexpr std::string_view kCapServerTime = "server-time";
inline constexpr std::string_view kCapBatch = "batch";
// What CAP LS offers: history with its original time, and grouped into a batch.
inline constexpr std::string_view kCapsOffered = "server-time batch";
// The batch type of history replayed on JOIN (IRCv3 chathistory).
inline constexpr std::string_view kChatHistoryBatch = "chathistory";

// --- Connection ------------------------------------------------------------------------------
// ERROR :<reason>, the last line before the server closes a connection.
inline constexpr std::string_view kError = "ERROR";
inline constexpr std::string_view kQuitReasonPrefix = "Closing Link: ";
inline constexpr std::string_view kErrorWrongPassword = "Closing Link: Bad password";
inline constexpr std::string_view kErrorQuit = "Closing Link: Quit";
inline constexpr std::string_view kErrorShuttingDown = "Closing Link: Server is shutting down.";
inline constexpr std::string_view kErrorRegistrationTimeout =
    "Closing Link: Timed out waiting for registration.";

}  // namespace faces::irc::replies
