// Whether a post links somewhere: new members' link posts wait for approval,
// since links are what most forum spam is for. Email addresses are not
// links (the personal-data check deals with those).
const LINK = /\bhttps?:\/\/|\bwww\.[\p{L}\p{N}-]+\.|\]\(\s*[^)\s]|<[a-z][a-z0-9+.-]*:|(?<![@\p{L}\p{N}._-])(?:[\p{L}\p{N}-]+\.)+(?:com|net|org|io|info|biz|ru|cn|xyz|top|shop|online|site|app|dev|co)\b/iu;

export function containsLink(text: string): boolean {
  return LINK.test(text);
}
