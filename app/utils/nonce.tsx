import { createContext, useContext } from "react";

// The CSP nonce for inline scripts. On the server it is the request's nonce;
// in the browser it reads as "" (browsers hide nonce attributes), which is fine.
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
