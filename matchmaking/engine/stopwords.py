"""Stop words for the portal's languages, and the snowball stemmer to use for each.

The lists are short on purpose: function words only (articles, pronouns, prepositions,
conjunctions, auxiliaries), which is what a language guess needs and what BM25 weighting
does not already discount well enough on a small corpus.
"""

from __future__ import annotations

_RAW: dict[str, str] = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers him his how i if in into is it its
        itself just me more most my no nor not of off on once only or other our ours out over own
        same she should so some such than that the their theirs them then there these they this
        those through to too under until up very was we were what when where which while who whom
        why will with would you your yours shall may must within without per via upon etc""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
        anderes auch auf aus bei bin bis bist da damit dann das dass dein deine dem den denn der
        des dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem
        einen einer eines er es etwas euer eure für gegen gewesen hab habe haben hat hatte hier
        hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes
        jener kann kein keine können könnte machen man manche mein meine mich mir mit muss nach
        nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sollte
        sondern sonst über um und uns unser unter viel vom von vor während war waren warum was
        weil welche welchem welchen welcher wenn werde werden wie wieder will wir wird wo wollen
        würde zu zum zur zwar zwischen sowie bzw gemäß""",
    "fr": """au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les
        leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que
        qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous été être avoir ont
        est sera seront était sont afin ainsi aussi autre autres cela celle celles celui ceux
        comme dont entre leurs lors peut plus sans selon sous tout toute toutes tous très""",
    "es": """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
        durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto
        estos fue fueron ha han hasta la las le les lo los más me mi mis mucho muy ni no nos o
        otra otras otro otros para pero por porque que quien se ser si sin sobre su sus también
        tanto te ti todo todos tu tus un una uno unos y ya será serán dicho dicha según""",
    "it": """a ad agli ai al alla alle allo anche come con da dai dal dalla dalle degli dei del
        della delle dello di e ed è gli ha hanno i il in la le lo ma ne nei nel nella nelle nello
        non o per più quale quali quando quello questa queste questi questo se sia sono su sui
        sul sulla sulle tra tutti tutto un una uno essere stato stata sarà saranno ovvero""",
    "nl": """aan al als bij dan dat de der deze die dit doch door dus een en er haar had heb
        hebben heeft hem het hier hij hoe hun ik in is je kan kon maar me meer men met mij mijn
        na naar niet nog nu of om omdat ons onze ook op over te tegen toen tot u uit van veel
        voor want was wat we wel werd wie wij wordt worden zal ze zich zij zijn zo zonder""",
    "pt": """a ao aos as até com como da das de dela dele deles do dos e ela elas ele eles em
        entre era essa esse esta este eu foi foram há isso isto já lhe mais mas me mesmo meu
        minha muito na nas nem no nos não o os ou para pela pelas pelo pelos por qual quando que
        se sem ser seu seus sua suas são também te tem um uma umas uns à às é""",
    "sv": """alla att av blev bli den det detta dig din du där efter ej eller en er ett från för
        han hans har henne hon honom hur här i icke inom inte jag kan man med mellan men mig min
        mot mycket ni nu när och om oss på samt sedan sig sin sina själv skall ska som så till
        under upp ut utan vad var vara vi vid vilka vilken vår än är åt över""",
    "da": """af alle alt at blev blive bliver da de dem den denne der deres det dette dig din
        disse dog du efter eller en end er et for fra ham han hans har havde have hende hendes
        her hos hun hvad hvis hvor i ikke ind jeg kan kunne man mange med meget men mig min mod
        ned noget nogle nu når og også om op os over på sig sin skal som sådan thi til ud under
        var vi vil ville vor være været""",
    "pl": """a aby ale bez bo by być czy dla do gdy i ich ja jak jako je jego jej jest jeśli
        już lub ma mi może na nad nie niż o od oraz po pod przez przy się są ta tak także te
        tego ten to tu w we z za ze że oraz który która które których zostanie""",
    "ro": """a ai al ale am ar are au cu că care ce cel cea cei cele din după este fi fost în
        între la le mai nu o pe pentru prin sa sau se si să sunt și un una unei unui""",
    "cs": """a aby ale ani by byl byla bylo být do i jak je jeho jej její jsou k ke kde když
        na nad o od pro před při s se si ta tak také tato to tu u v ve z za že který která které
        který jsou nebo podle""",
    "hu": """a az és egy hogy nem is meg de ez el mint csak már még van volt lesz kell vagy
        azt ezt ki be fel le után által alatt között szerint illetve""",
    "fi": """ja on ei se että hän oli ole ovat mutta kun tai jos niin kuin myös sekä joka jotka
        tämä nämä sen ne siitä sitä vain""",
}

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _RAW.items()
}

#: snowball algorithm per language code (PyStemmer names)
STEMMER_FOR: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "pl": "polish",
    "ro": "romanian",
    "cs": "czech",
    "hu": "hungarian",
    "fi": "finnish",
}
